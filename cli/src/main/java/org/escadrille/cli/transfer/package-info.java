/**
 * Moving files between this machine and the user's space: uploading the local inputs of a launch,
 * downloading an execution's outputs (confined to the target directory, checked against their SHA-256).
 */
package org.escadrille.cli.transfer;
