/**
 * Published applications: Boutiques descriptors checked at publication, immutable and named by the
 * SHA-256 of their canonical JSON, the built-in applications, and the groups a version is restricted to
 * (asked of {@code account.GroupMembership}). Owns the {@code applications} and {@code app_version_groups} tables
 * (it reads {@code executions} only to refuse deleting an application in use); uses {@code account},
 * the root package and the {@code boutiques} library, and sees other features' descriptor sections
 * (Monte-Carlo) only through {@code DescriptorSection}.
 */
package org.escadrille.server.catalog;
