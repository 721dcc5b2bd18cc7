package org.escadrille.server.carmin;

/** A sign-in with a wrong user name or password. */
final class WrongCredentialsException extends RuntimeException {
    WrongCredentialsException() {
        super("wrong user name or password");
    }
}
