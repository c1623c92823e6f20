package com.linbit.tunl.relay.api;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what over HTTP. The API is HTTP Basic and creates no sessions; admins manage,
 * auditors read everything and change nothing; the relay's CA keys and health are public; anything
 * not listed needs a login. The auditor page ({@code /audit/}) logs in with a form instead and
 * keeps a session (SameSite=Strict cookie, CSRF-protected form), which the API then accepts for
 * reading; a request that changes something and comes from a browser (a session, an Origin or
 * Sec-Fetch-Site header) must bring the CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    @Order(1)
    SecurityFilterChain auditPage(HttpSecurity http) throws Exception {
        http.securityMatcher("/audit", "/audit/**", "/login", "/logout", "/default-ui.css")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/logout", "/default-ui.css").permitAll()
                        .anyRequest().hasAnyRole("ADMIN", "AUDITOR"))
                .formLogin(form -> form.defaultSuccessUrl("/audit/", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                                + "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandler problems) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/ca.pub", "/known_hosts").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/admin/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/audit/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.GET, "/actuator/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .hasAnyRole("ADMIN", "AUDITOR")
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(basic -> basic.realmName("tunl").authenticationEntryPoint(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::changesWithASession));
        return http.build();
    }

    /**
     * Programs calling with HTTP Basic (curl, scripts) carry no session and no browser headers and
     * need no token. A browser's request that changes something does: it may carry the page's
     * session, or Basic credentials the browser cached after a login prompt, which it would send
     * along with a form another site submits. Browsers mark such requests with Origin or
     * Sec-Fetch-Site.
     */
    private static boolean changesWithASession(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && (request.getRequestedSessionId() != null || request.getHeader("Origin") != null
                        || request.getHeader("Sec-Fetch-Site") != null);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
