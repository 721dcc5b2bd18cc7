/**
 * Turning what a person typed ({@code name=value}, {@code name=@file}, a Boutiques invocation file)
 * into the inputs of a launch request.
 */
package org.escadrille.cli.launch;
