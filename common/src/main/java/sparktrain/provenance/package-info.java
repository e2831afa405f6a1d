/**
 * What every model and summary records about how it was made: the software ({@link
 * sparktrain.provenance.Versions}) and the typed values of summaries ({@link
 * sparktrain.provenance.RunStatus}, {@link sparktrain.provenance.RetrainDecision}), serialized as
 * the first release wrote them.
 */
package sparktrain.provenance;
