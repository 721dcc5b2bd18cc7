/**
 * Where pilots run: the {@code Backend} interface and one class per engine ({@code LocalBackend}: child
 * processes), each passing {@code BackendContract}. Owns no table; uses only the {@code protocol}
 * module, and only {@code site} (the pilot factory) uses it.
 */
package org.escadrille.server.backend;
