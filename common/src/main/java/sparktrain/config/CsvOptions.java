package sparktrain.config;

/**
 * The {@code data.csv} section.
 *
 * @param header whether line 1 of every file names the columns
 * @param delimiter the character between cells
 */
public record CsvOptions(boolean header, char delimiter) {}
