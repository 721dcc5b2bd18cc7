/**
 * Telling people that an execution ended: an e-mail to its owner, when the server has an SMTP server and
 * the owner gave an address and did not opt out. Owns no table; uses {@code execution} (its end event)
 * and {@code account} (the owner's preference), never {@code api} or {@code portal}.
 */
package org.escadrille.server.notification;
