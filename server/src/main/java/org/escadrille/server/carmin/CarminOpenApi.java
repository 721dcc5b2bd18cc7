package org.escadrille.server.carmin;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.springdoc.core.models.GroupedOpenApi;
import org.springdoc.webmvc.api.MultipleOpenApiWebMvcResource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAPI document of CARMIN as this server gives it ({@code GET /rest/openapi.json}, open), made by
 * springdoc from the controllers: paths as carmin.yaml writes them (without {@code /rest}, the server's
 * URL), the {@code apikey} header as its security scheme.
 */
@RestController
class CarminOpenApi {
    static final String GROUP = "carmin";
    private static final String PREFIX = "/rest";
    private final ObjectProvider<MultipleOpenApiWebMvcResource> documents;

    CarminOpenApi(ObjectProvider<MultipleOpenApiWebMvcResource> documents) {
        this.documents = documents;
    }

    @Bean
    static GroupedOpenApi carminGroup() {
        return GroupedOpenApi.builder().group(GROUP).pathsToMatch(PREFIX + "/**").pathsToExclude(PREFIX + "/openapi.json")
                .addOpenApiCustomizer(api -> {
                    var paths = new Paths();
                    api.getPaths().forEach((path, item) -> paths.addPathItem(path.substring(PREFIX.length()), item));
                    api.setPaths(paths);
                    api.setServers(List.of(new Server().url(PREFIX).description("this server's CARMIN API")));
                    api.setInfo(new Info().title("CARMIN - Common API for Research Medical Imaging Network").version(
                            PlatformController.API_VERSION).description("CARMIN as VIP gives it (docs/carmin.md): paths under "
                            + "/vip/Home, pipelines name/version, errors as ErrorCodeAndMessage (40101: bad API key)")
                            .license(new License().name("MIT License").url("https://opensource.org/licenses/MIT")));
                    api.setComponents((api.getComponents() == null ? new Components() : api.getComponents())
                            .addSecuritySchemes("ApiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                    .in(SecurityScheme.In.HEADER).name("apikey")));
                    api.setSecurity(List.of(new SecurityRequirement().addList("ApiKey")));
                })
                .build();
    }

    @GetMapping(value = PREFIX + "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    byte[] document(HttpServletRequest request, Locale locale) throws Exception {
        return documents.getObject().openapiJson(request, "/v3/api-docs", GROUP, locale);
    }
}
