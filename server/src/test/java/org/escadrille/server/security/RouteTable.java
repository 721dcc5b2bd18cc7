package org.escadrille.server.security;

import java.util.Set;
import java.util.TreeSet;
import org.escadrille.server.TestServer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The routes a running server maps, as Spring MVC's handler mappings hold them (controllers, Actuator,
 * the error controller): "METHOD pattern", {@code *} for a handler of any method. Static resources and
 * what Spring Security answers itself ({@code POST /login}, {@code /logout}) are not routes here.
 */
final class RouteTable {
    private RouteTable() {
    }

    static Set<String> of(TestServer server) {
        var routes = new TreeSet<String>();
        for (var mapping : server.beans(RequestMappingInfoHandlerMapping.class)) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                var methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        routes.add("* " + pattern);
                    }
                    methods.forEach(method -> routes.add(method.name() + " " + pattern));
                }
            }
        }
        return routes;
    }
}
