package org.escadrille.server.carmin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.SignInHandlers;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** What the platform is ({@code GET /rest/platform}) and the sign-in that hands out an API key. */
@RestController
class PlatformController {
    static final String API_VERSION = "0.3.1";
    /** How many executions a list returns when the caller does not say. */
    static final int DEFAULT_LIMIT = 500;

    private final SignInHandlers signIns;
    private final AccountService accounts;
    private final CarminPipelines pipelines;

    PlatformController(SignInHandlers signIns, AccountService accounts, CarminPipelines pipelines) {
        this.signIns = signIns;
        this.accounts = accounts;
        this.pipelines = pipelines;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PlatformProperties(String platformName, String platformDescription,
                              @JsonProperty("APIErrorCodesAndMessages") List<ErrorCodeAndMessage> apiErrorCodesAndMessages,
                              List<String> supportedModules, long defaultLimitListExecutions,
                              List<String> unsupportedMethods, boolean studiesSupport, String supportedAPIVersion,
                              List<String> supportedPipelineProperties) {
    }

    record AuthenticationCredentials(String username, String password) {
    }

    record Authentication(String httpHeader, String httpHeaderValue) {
    }

    @GetMapping("/rest/platform")
    PlatformProperties platform() {
        return new PlatformProperties("Escadrille", "A science gateway: Boutiques applications run on pilots "
                + "(CARMIN as VIP gives it: paths under /vip/Home, pipelines name/version)", ErrorCodes.all(),
                List.of("Processing", "Data"), DEFAULT_LIMIT, List.of(), false, API_VERSION,
                pipelines.supportedProperties());
    }

    /** A user name and password → a new API key of that user's (listed and revocable on the account page). */
    @PostMapping("/rest/authenticate")
    Authentication authenticate(@RequestBody AuthenticationCredentials credentials, HttpServletRequest request) {
        if (credentials == null || credentials.username() == null || credentials.password() == null) {
            throw new InvalidRequestException("Missing credentials", "send {\"username\": ..., \"password\": ...}");
        }
        var account = signIns.signIn(credentials.username(), credentials.password(), request.getRemoteAddr())
                .orElseThrow(WrongCredentialsException::new);
        var key = accounts.createApiKey(account, "CARMIN authenticate", null, request.getRemoteAddr());
        return new Authentication("apikey", key.secret());
    }
}
