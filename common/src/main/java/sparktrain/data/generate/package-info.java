/**
 * Scaled data for trying sparktrain at size: MNIST made K times larger with shifted copies ({@link
 * sparktrain.data.generate.ScaledMnist}), and tables of any size from a known rule ({@link
 * sparktrain.data.generate.SyntheticTable}).
 */
package sparktrain.data.generate;
