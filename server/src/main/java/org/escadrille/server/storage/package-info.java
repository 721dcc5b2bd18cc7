/**
 * Where bytes live: the {@code Storage} interface ({@code LocalStorage}, {@code S3Storage}; each
 * implementation passes {@code StorageContract}) and users' spaces with their checksums. Owns the {@code stored_files}
 * table; uses {@code account} and the root package only.
 */
package org.escadrille.server.storage;
