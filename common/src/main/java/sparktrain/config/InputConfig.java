package sparktrain.config;

/** The {@code model.input} section: shape of one example. */
public record InputConfig(InputType type, int size) {}
