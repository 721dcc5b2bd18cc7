/**
 * Where bytes live: the {@code Storage} interface ({@code LocalStorage}, {@code S3Storage}; each
 * implementation passes {@code StorageContract}), users' spaces with their checksums and quotas, groups'
 * shared folders in them, users' uploads straight to the storage, the count of bytes that stream through
 * the server, and the sweeper of objects no feature's records name (each feature that names objects
 * answers for its prefixes as a {@code StoredObjectOwner}). Owns the {@code stored_files}, {@code group_files}
 * (groups' shared folders), {@code storage_quotas} and {@code upload_sessions} tables; uses {@code account}
 * and the root package only.
 */
package org.escadrille.server.storage;
