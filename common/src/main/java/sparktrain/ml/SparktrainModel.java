package sparktrain.ml;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Option;
import scala.Tuple2;
import sparktrain.config.ConfigLoader;
import sparktrain.config.JobConfig;
import sparktrain.eval.EvaluationPlan;
import sparktrain.eval.ModelLocator;
import sparktrain.eval.ScoringSetup;
import sparktrain.predict.Predictor;

/**
 * A trained sparktrain network as a Spark ML {@link Model}: {@link #transform} keeps every input
 * column and appends MLlib's {@code prediction}, and for classifiers {@code rawPrediction} and
 * {@code probability} (see {@link ModelRows}). Scoring runs on the executors, partition by
 * partition in minibatches, from one broadcast of the network (its config JSON and parameters, made
 * once per SparkContext); features are normalized with the model's saved normalizer.
 *
 * <p>{@code write().save(path)} writes a sparktrain model directory ({@code model.zip}, which plain
 * DL4J reads, {@code normalizer.json}, {@code manifest.json} ...) that {@code evaluate} and {@code
 * predict --model} accept, plus Spark ML's {@code metadata/}. {@link #load} reads such a directory,
 * and also any model, checkpoint or run directory {@code train} wrote (with default Params).
 */
public final class SparktrainModel extends Model<SparktrainModel>
    implements MLWritable, ColumnParams<SparktrainModel> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final MlColumns columns;
  private final transient ModelFiles files;
  private final transient ScoringSetup setup;
  private transient Broadcast<Tuple2<String, INDArray>> broadcast;

  private SparktrainModel(String uid, ModelFiles files, ScoringSetup setup) {
    this.uid = uid;
    this.columns = new MlColumns(this);
    this.files = files;
    this.setup = setup;
  }

  /**
   * The model in a directory {@code train} or {@link #write()} wrote (see {@link ModelLocator}).
   */
  static SparktrainModel fromDirectory(String uid, String dir, Configuration conf)
      throws IOException {
    ModelLocator.Located located = ModelLocator.locate(dir, conf);
    String recorded = located.checkpoint().resolvedConfig();
    if (recorded == null || recorded.isBlank()) {
      throw new IllegalArgumentException(
          dir + ": the model records no training config; it cannot be scored by a SparktrainModel");
    }
    JobConfig trained = ConfigLoader.fromConfig(ConfigFactory.parseString(recorded));
    ScoringSetup setup = ScoringSetup.prepare(trained, located);
    return new SparktrainModel(uid, ModelFiles.of(located.checkpoint(), conf), setup);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public MlColumns mlColumns() {
    return columns;
  }

  /** The reader ({@link #load}, {@code PipelineModel.load}). */
  public static MLReader<SparktrainModel> read() {
    return new Reader();
  }

  /** Loads a model saved with {@code write().save(path)}, or a model {@code train} wrote. */
  public static SparktrainModel load(String path) {
    return read().load(path);
  }

  /** The network (the driver's copy; tasks build theirs from the broadcast). */
  public MultiLayerNetwork network() {
    return setup.network();
  }

  /** How the network's outputs are read (binary, multiclass, regression). */
  public EvaluationPlan plan() {
    return setup.plan();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    MlColumns.requireVector(schema, "featuresCol", getOrDefault(columns.features));
    return MlColumns.withOutputs(schema, columns.outputs(this, setup.plan()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    SparkSession spark = dataset.sparkSession();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String features = getOrDefault(columns.features);
    ModelRows rows = new ModelRows(dataset.schema().fieldIndex(features), features, setup.plan());
    JavaRDD<Row> scored =
        dataset
            .toDF()
            .javaRDD()
            .mapPartitions(
                new Predictor<>(broadcast(sc), setup.encoder(), rows, sc.sc().longAccumulator()));
    return spark.createDataFrame(scored, out);
  }

  /** The network's one broadcast on {@code sc}, made on first use. */
  private synchronized Broadcast<Tuple2<String, INDArray>> broadcast(JavaSparkContext sc) {
    SparkContext context = sc.sc();
    if (broadcast == null || context.isStopped() || !broadcastOn(context)) {
      broadcast = Predictor.broadcast(sc, setup.network());
      broadcastContext = context;
    }
    return broadcast;
  }

  private transient SparkContext broadcastContext;

  private boolean broadcastOn(SparkContext context) {
    return broadcastContext == context;
  }

  @Override
  public SparktrainModel copy(ParamMap extra) {
    SparktrainModel that = new SparktrainModel(uid, files, setup);
    return copyValues(that, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Writes the model directory's files, then Spark ML's metadata. */
  private static final class Writer extends MLWriter {
    private final SparktrainModel model;

    Writer(SparktrainModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      try {
        model.files.write(path, sc().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the model to " + path, e);
      }
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
    }
  }

  /** Reads the model directory, then Spark ML's metadata when there is one. */
  private static final class Reader extends MLReader<SparktrainModel> {
    @Override
    public SparktrainModel load(String path) {
      Configuration conf = sc().hadoopConfiguration();
      try {
        Path metadata = new Path(path, "metadata");
        if (!metadata.getFileSystem(conf).exists(metadata)) {
          return fromDirectory(
              "sparktrain_" + UUID.randomUUID().toString().substring(24), path, conf);
        }
        DefaultParamsReader.Metadata md =
            DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), SparktrainModel.class.getName());
        SparktrainModel model = fromDirectory(md.uid(), path, conf);
        md.getAndSetParams(model, Option.empty());
        return model;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the model in " + path, e);
      }
    }
  }
}
