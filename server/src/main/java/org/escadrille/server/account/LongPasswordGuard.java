package org.escadrille.server.account;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * BCrypt reads only 72 bytes of a password, and Spring Security's encoder throws on longer ones: a
 * password typed at sign-in that no account can have is simply wrong, never an error. (New passwords
 * are refused past the limit before they reach the encoder, with a message: {@link AccountService}.)
 */
final class LongPasswordGuard implements PasswordEncoder {
    private final PasswordEncoder encoder;

    LongPasswordGuard(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return encoder.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || rawPassword.toString().getBytes(StandardCharsets.UTF_8).length > AccountService.MAX_PASSWORD_BYTES) {
            return false;
        }
        return encoder.matches(rawPassword, encodedPassword);
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return encoder.upgradeEncoding(encodedPassword);
    }
}
