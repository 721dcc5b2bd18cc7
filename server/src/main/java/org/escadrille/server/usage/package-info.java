/**
 * Usage accounting, for the reports platforms owe their funders: CPU-hours, wall hours and storage per
 * user and per group per month. Owns no table: it sums attempts through scheduling's {@code TaskQueries},
 * reads storage through {@code StorageQuotas} and groups through {@code account}'s {@code GroupMembership}.
 */
package org.escadrille.server.usage;
