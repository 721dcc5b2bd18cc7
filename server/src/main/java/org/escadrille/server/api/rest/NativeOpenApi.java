package org.escadrille.server.api.rest;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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

/** The OpenAPI document of the native API ({@code GET /api/v1/openapi.json}, open), made by springdoc from the controllers. */
@RestController
class NativeOpenApi {
    static final String GROUP = "native";
    private final ObjectProvider<MultipleOpenApiWebMvcResource> documents;

    NativeOpenApi(ObjectProvider<MultipleOpenApiWebMvcResource> documents) {
        this.documents = documents;
    }

    @Bean
    static GroupedOpenApi nativeGroup() {
        return GroupedOpenApi.builder().group(GROUP).pathsToMatch("/api/v1/**").pathsToExclude("/api/v1/openapi.json")
                .addOpenApiCustomizer(api -> {
                    api.setInfo(new Info().title("Escadrille native API").version("v1")
                            .description("Everything CARMIN lacks; errors are RFC 9457 problem documents (docs/native-api.md)"));
                    api.setComponents((api.getComponents() == null ? new Components() : api.getComponents())
                            .addSecuritySchemes("ApiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                    .in(SecurityScheme.In.HEADER).name("apikey")));
                    api.setSecurity(List.of(new SecurityRequirement().addList("ApiKey")));
                })
                .build();
    }

    @GetMapping(value = "/api/v1/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    byte[] document(HttpServletRequest request, Locale locale) throws Exception {
        return documents.getObject().openapiJson(request, "/v3/api-docs", GROUP, locale);
    }
}
