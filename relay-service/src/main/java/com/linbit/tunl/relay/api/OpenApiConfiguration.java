package com.linbit.tunl.relay.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}): who the API is for and how to log in. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI tunlOpenApi() {
        String version = OpenApiConfiguration.class.getPackage().getImplementationVersion();
        return new OpenAPI()
                .info(new Info().title("tunl relay: admin and auditor API")
                        .version(version == null ? "development" : version)
                        .description("Admins (role ADMIN) manage engineers, their SSH keys, HTTP users and sessions;"
                                + " auditors (role AUDITOR) read sessions, events, chat and recordings and change nothing."
                                + " Every call is HTTP Basic. See docs/admin-guide.md and docs/auditor-guide.md."))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
