/**
 * The Escadrille server: a Spring Boot application ({@code EscadrilleServer}) with its settings
 * ({@code EscadrilleProperties}) and what every feature shares: the exceptions that become problem
 * documents, ids, pages of results. The features are the subpackages, each owning its tables; this
 * package owns none and uses none of them.
 */
package org.escadrille.server;
