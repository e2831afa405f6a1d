package sparktrain.config;

/**
 * {@code retrain.normalizer}: which feature normalizer the challenger of a retrain uses.
 *
 * <ul>
 *   <li>{@code keep}: the champion's saved {@code normalizer.json}, unchanged, so the continued
 *       network sees inputs scaled exactly as before;
 *   <li>{@code refit}: a new normalizer ({@code data.normalization}) fitted on the challenger's
 *       training examples and saved with the challenger.
 * </ul>
 */
public enum RetrainNormalizer implements ConfigEnum {
  KEEP,
  REFIT
}
