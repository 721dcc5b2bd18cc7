/**
 * The client side of the native REST API ({@code docs/native-api.md}): HTTP calls, the records the
 * CLI reads, and the two ways a call fails (the server said no, or nobody answered).
 */
package org.escadrille.cli.api;
