/**
 * What every model and summary records about the software that made it ({@link
 * sparktrain.provenance.Versions}).
 */
package sparktrain.provenance;
