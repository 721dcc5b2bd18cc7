package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The username an account made at a first institutional sign-in starts from: valid whatever the provider sends. */
class OidcUsernamesTest {

    private static String base(String preferredUsername, String email) {
        return OidcAccounts.usernameBase(new OidcAccounts.Claims("campus", "https://id.example", "sub", email, true,
                preferredUsername));
    }

    @Test
    void thePreferredUsernameIsTakenLowerCasedWithOddCharactersReplaced() {
        assertThat(base("Jean Dupont", null)).isEqualTo("jean-dupont");
        assertThat(base("jdupont@idp.example", null)).isEqualTo("jdupont-idp.example");
    }

    @Test
    void withoutOneTheAddressesLocalPartIsTaken() {
        assertThat(base(null, "Marie.Curie@uni.example")).isEqualTo("marie.curie");
        assertThat(base(" ", "x@uni.example")).isEqualTo("x-user");
    }

    @Test
    void aNameThatDoesNotStartWithALetterOrIsEmptyGetsOne() {
        assertThat(base("42", null)).isEqualTo("u42");
        assertThat(base(null, null)).isEqualTo("u-user");
    }

    @Test
    void aLongNameLeavesRoomForASuffix() {
        assertThat(base("a".repeat(200), null)).hasSize(50);
    }

    @Test
    void issuersDifferingOnlyByATrailingSlashAreTheSame() {
        assertThat(OidcAccounts.sameIssuer("https://id.example/realms/x/", "https://id.example/realms/x")).isTrue();
        assertThat(OidcAccounts.sameIssuer("https://id.example/realms/x", "https://id.example/realms/y")).isFalse();
    }
}
