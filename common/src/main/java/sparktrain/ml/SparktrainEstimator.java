package sparktrain.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import sparktrain.config.JobConfig;
import sparktrain.data.TrainingData;
import sparktrain.eval.EvaluationPlan;
import sparktrain.train.TrainJob;
import sparktrain.train.TrainSummary;

/**
 * A Spark ML {@link Estimator} that trains a sparktrain network on a DataFrame: {@code featuresCol}
 * (a {@code Vector} column, default {@code features}) and {@code labelCol} (numeric, default {@code
 * label}: the class index, or the regression target).
 *
 * <p>The network and training settings are a sparktrain job config ({@link #setConfig} HOCON or
 * {@link #setConfigPath} file; the same keys, defaults and validation as {@code train}, see {@link
 * EstimatorConfig}); {@link #setLearningRate}, {@link #setEpochs} and {@link
 * #setValidationFraction} override their keys, so a {@code ParamGridBuilder} can vary them. {@link
 * #fit} trains through {@link TrainJob} (the configured engine, parameter averaging, checkpoints,
 * evaluation) into a run directory as {@code train} writes it: {@link #setOutputDir}, or a
 * temporary local directory deleted after the fit (on a cluster set one on a shared file system).
 * {@link #setResume} and {@link #setForce} are {@code train}'s {@code --resume} and {@code --force}
 * for that directory.
 */
public final class SparktrainEstimator extends Estimator<SparktrainModel>
    implements DefaultParamsWritable, ColumnParams<SparktrainEstimator> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final MlColumns columns;
  private final Param<String> config;
  private final Param<String> configPath;
  private final Param<String> outputDir;
  private final Param<String> keras;
  private final Param<String> kerasWeights;
  private final DoubleParam learningRate;
  private final IntParam epochs;
  private final DoubleParam validationFraction;
  private final BooleanParam resume;
  private final BooleanParam force;

  /** An estimator with a random uid. */
  public SparktrainEstimator() {
    this("sparktrain_" + UUID.randomUUID().toString().substring(24));
  }

  /** An estimator with {@code uid} (Spark ML's copy and load use this). */
  public SparktrainEstimator(String uid) {
    this.uid = uid;
    this.columns = new MlColumns(this);
    config = new Param<>(this, "config", "the job config as HOCON (network, training settings)");
    configPath = new Param<>(this, "configPath", "a local HOCON file with the job config");
    outputDir = new Param<>(this, "outputDir", "the run directory a fit writes (Hadoop URI)");
    keras =
        new Param<>(
            this,
            "keras",
            "overrides model.keras: a Keras Sequential model (to_json or whole-model .h5) as the"
                + " network instead of model.layers (Hadoop URI)");
    kerasWeights =
        new Param<>(
            this,
            "kerasWeights",
            "overrides model.keras-weights: Keras-trained weights (.h5) to start from (Hadoop URI)");
    learningRate =
        new DoubleParam(
            this, "learningRate", "overrides model.updater.learning-rate", ParamValidators.gt(0.0));
    epochs = new IntParam(this, "epochs", "overrides training.epochs", ParamValidators.gtEq(1.0));
    validationFraction =
        new DoubleParam(
            this,
            "validationFraction",
            "overrides data.split.validation: the fraction of rows held out for validation",
            ParamValidators.inRange(0.0, 1.0, true, false));
    resume = new BooleanParam(this, "resume", "continue outputDir's newest checkpoint");
    force = new BooleanParam(this, "force", "start over in an outputDir holding another run");
    setDefault(resume, false);
    setDefault(force, false);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public MlColumns mlColumns() {
    return columns;
  }

  /** The Params reader ({@code SparktrainEstimator.load(path)}, {@code Pipeline.load}). */
  public static MLReader<SparktrainEstimator> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code write().save(path)}. */
  public static SparktrainEstimator load(String path) {
    return read().load(path);
  }

  /** Param: job config HOCON. */
  public Param<String> config() {
    return config;
  }

  /** Param: job config file. */
  public Param<String> configPath() {
    return configPath;
  }

  /** Param: run directory. */
  public Param<String> outputDir() {
    return outputDir;
  }

  /** Param: the Keras model file ({@code model.keras}). */
  public Param<String> keras() {
    return keras;
  }

  /** Param: the Keras weights file ({@code model.keras-weights}). */
  public Param<String> kerasWeights() {
    return kerasWeights;
  }

  /** Param: learning rate override. */
  public DoubleParam learningRate() {
    return learningRate;
  }

  /** Param: epochs override. */
  public IntParam epochs() {
    return epochs;
  }

  /** Param: validation fraction override. */
  public DoubleParam validationFraction() {
    return validationFraction;
  }

  /** Param: resume outputDir's checkpoint. */
  public BooleanParam resume() {
    return resume;
  }

  /** Param: start over in outputDir. */
  public BooleanParam force() {
    return force;
  }

  /** Sets the job config as HOCON text. */
  public SparktrainEstimator setConfig(String hocon) {
    set(config, hocon);
    return this;
  }

  /** Sets the job config file (local HOCON). */
  public SparktrainEstimator setConfigPath(String path) {
    set(configPath, path);
    return this;
  }

  /** Sets the run directory a fit writes. */
  public SparktrainEstimator setOutputDir(String dir) {
    set(outputDir, dir);
    return this;
  }

  /**
   * Sets {@code model.keras}: the network is the Keras Sequential model in {@code path} (README,
   * "From Keras"), not the config's {@code model.layers}.
   */
  public SparktrainEstimator setKeras(String path) {
    set(keras, path);
    return this;
  }

  /** Sets {@code model.keras-weights}: the fit starts from these Keras-trained weights. */
  public SparktrainEstimator setKerasWeights(String path) {
    set(kerasWeights, path);
    return this;
  }

  /** Overrides {@code model.updater.learning-rate}. */
  public SparktrainEstimator setLearningRate(double value) {
    set(learningRate, value);
    return this;
  }

  /** Overrides {@code training.epochs}. */
  public SparktrainEstimator setEpochs(int value) {
    set(epochs, value);
    return this;
  }

  /** Overrides {@code data.split.validation}. */
  public SparktrainEstimator setValidationFraction(double value) {
    set(validationFraction, value);
    return this;
  }

  /** Continues outputDir's newest checkpoint ({@code --resume}). */
  public SparktrainEstimator setResume(boolean value) {
    set(resume, value);
    return this;
  }

  /** Starts over in an outputDir that holds another run ({@code --force}). */
  public SparktrainEstimator setForce(boolean value) {
    set(force, value);
    return this;
  }

  /** The job config a fit into {@code runDir} uses, validated. */
  public JobConfig jobConfig(String runDir) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("data.label", getOrDefault(columns.label));
    overrides.put("output.dir", runDir);
    if (isDefined(keras)) {
      overrides.put("model.keras", getOrDefault(keras));
    }
    if (isDefined(kerasWeights)) {
      overrides.put("model.keras-weights", getOrDefault(kerasWeights));
    }
    if (isDefined(learningRate)) {
      overrides.put("model.updater.learning-rate", getOrDefault(learningRate));
    }
    if (isDefined(epochs)) {
      overrides.put("training.epochs", getOrDefault(epochs));
    }
    if (isDefined(validationFraction)) {
      overrides.put("data.split.validation", getOrDefault(validationFraction));
    }
    return EstimatorConfig.resolve(
        isDefined(config) ? getOrDefault(config) : null,
        isDefined(configPath) ? getOrDefault(configPath) : null,
        overrides);
  }

  @Override
  public SparktrainModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    SparkSession spark = dataset.sparkSession();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    boolean temporary = !isDefined(outputDir);
    String runDir;
    try {
      runDir =
          temporary
              ? Files.createTempDirectory("sparktrain-fit-").resolve("run").toUri().toString()
              : getOrDefault(outputDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary run directory", e);
    }
    JobConfig job = jobConfig(runDir);
    TrainingData data =
        DataFrameExamples.of(
            dataset, getOrDefault(columns.features), getOrDefault(columns.label), job);
    TrainJob.Options options =
        (Boolean) getOrDefault(resume) ? TrainJob.Options.resuming() : TrainJob.Options.fresh();
    if ((Boolean) getOrDefault(force)) {
      options = options.withForce();
    }
    TrainSummary summary = TrainJob.run(job, spark, options.withData(data));
    try {
      SparktrainModel model = SparktrainModel.fromDirectory(uid, summary.modelPath(), conf);
      if (temporary) {
        Path dir = new Path(runDir).getParent();
        dir.getFileSystem(conf).delete(dir, true);
      }
      return copyValues(model, new ParamMap()).setParent(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trained model " + summary.modelPath(), e);
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    MlColumns.requireVector(schema, "featuresCol", getOrDefault(columns.features));
    MlColumns.requireNumeric(schema, "labelCol", getOrDefault(columns.label));
    JobConfig job = jobConfig(EstimatorConfig.DATAFRAME);
    return MlColumns.withOutputs(
        schema, columns.outputs(this, EvaluationPlan.of(job.model(), job.data().numClasses())));
  }

  @Override
  public SparktrainEstimator copy(ParamMap extra) {
    return (SparktrainEstimator) defaultCopy(extra);
  }
}
