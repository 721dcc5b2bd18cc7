/**
 * Pilots as SLURM batch jobs ({@code sbatch}, {@code squeue}, {@code scancel}), run on this machine or on a
 * login node over SSH through {@code backend.remote}. Owns no table; the engine registers as the
 * {@code BackendKind} "slurm" and is used only through the {@code Backend} interface.
 */
package org.escadrille.server.backend.slurm;
