/**
 * Pilots as Kubernetes {@code batch/v1} Jobs through the fabric8 client: {@code KubernetesKind} opens
 * one {@code KubernetesBackend} per site of kind {@code kubernetes}. Owns no table; uses the
 * {@code backend} interfaces and the {@code protocol} module only. The API verbs it needs are listed
 * once, in {@code KubernetesBackend.PERMISSIONS}, which the server's own Role in
 * {@code deploy/kubernetes} is tested against.
 */
package org.escadrille.server.backend.kubernetes;
