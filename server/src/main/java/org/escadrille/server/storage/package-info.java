/**
 * Where bytes live: the {@code Storage} interface ({@code LocalStorage}, {@code S3Storage}; each
 * implementation passes {@code StorageContract}), users' spaces with their checksums and quotas, and
 * the count of bytes that stream through the server. Owns the {@code stored_files} and
 * {@code storage_quotas} tables; uses {@code account} and the root package only.
 */
package org.escadrille.server.storage;
