/**
 * What the CLI shows a person: tables, progress lines and summaries, rendered by pure functions so
 * that tests can read them, and the one writer that redraws a progress line on a terminal.
 */
package org.escadrille.cli.terminal;
