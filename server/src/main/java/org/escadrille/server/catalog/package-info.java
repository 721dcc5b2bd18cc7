/**
 * Published applications: Boutiques descriptors checked at publication, immutable and named by the
 * SHA-256 of their canonical JSON, and the built-in applications. Owns the {@code applications} table
 * (it reads {@code executions} only to refuse deleting an application in use); uses {@code account},
 * the root package and the {@code boutiques} library, and sees other features' descriptor sections
 * (Monte-Carlo) only through {@code DescriptorSection}.
 */
package org.escadrille.server.catalog;
