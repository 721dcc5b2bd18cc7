package org.escadrille.server;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The APIs speak JSON only. Jackson's YAML module is on the classpath for the Kubernetes client
 * (kubeconfig files, manifests), and Spring would then read and write {@code application/yaml} bodies
 * too: a second parser of users' input, with its own aliases and limits, that no client needs.
 */
@Configuration
class JsonNotYaml implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(converter ->
                converter.getSupportedMediaTypes().stream().anyMatch(type -> type.getSubtype().contains("yaml"))));
    }
}
