/**
 * The {@code escadrille} command: its subcommands, the options they share, how they find a gateway
 * (a URL, or one embedded in this process), and how failures become exit codes.
 */
package org.escadrille.cli;
