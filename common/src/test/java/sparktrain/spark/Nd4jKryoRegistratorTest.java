package sparktrain.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * ND4J arrays, and the DataSets that hold them, survive Spark's own Kryo serializer with the
 * settings sparktrain gives every session (its registrator, on both Spark lines).
 */
class Nd4jKryoRegistratorTest {

  private static SerializerInstance kryo(SparkConf conf) {
    return new KryoSerializer(SparkSessions.applyDl4jDefaults(conf)).newInstance();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(SerializerInstance kryo, T value) {
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    return (T) kryo.deserialize(kryo.serialize(value, tag), tag);
  }

  @Test
  void arraysViewsAndDataSetsRoundTripThroughSparksKryo() {
    SerializerInstance kryo = kryo(new SparkConf());
    INDArray matrix = Nd4j.rand(DataType.FLOAT, 3, 5);
    INDArray doubles = Nd4j.linspace(1, 12, 12, DataType.DOUBLE).reshape('f', 3, 4);
    // a view into a bigger array: only its own elements travel
    INDArray view = matrix.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());

    assertThat(roundTrip(kryo, matrix)).isEqualTo(matrix);
    INDArray d = roundTrip(kryo, doubles);
    assertThat(d).isEqualTo(doubles);
    assertThat(d.dataType()).isEqualTo(DataType.DOUBLE);
    INDArray v = roundTrip(kryo, view);
    assertThat(v.shape()).containsExactly(2, 5);
    assertThat(v).isEqualTo(view.dup());

    DataSet ds = new DataSet(matrix, Nd4j.eye(3).castTo(DataType.FLOAT));
    DataSet back = roundTrip(kryo, ds);
    assertThat(back.getFeatures()).isEqualTo(ds.getFeatures());
    assertThat(back.getLabels()).isEqualTo(ds.getLabels());
    // scoring frees a cached minibatch's arrays as soon as it is scored (ForwardPass.release)
    assertThat(back.getFeatures().closeable()).as("features closeable").isTrue();
    assertThat(back.getLabels().closeable()).as("labels closeable").isTrue();
    List<DataSet> batches = roundTrip(kryo, new java.util.ArrayList<>(List.of(ds, ds)));
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1).getFeatures()).isEqualTo(matrix);
  }

  @Test
  void largeArraysOtherOrdersAndOtherTypesRoundTripExactly() {
    SerializerInstance kryo = kryo(new SparkConf());
    // more bytes than one copy chunk (64 KiB), a multiple of none
    INDArray big = Nd4j.rand(DataType.FLOAT, 301, 1_001);
    INDArray back = roundTrip(kryo, big);
    assertThat(back.shape()).containsExactly(301, 1_001);
    assertThat(back.ravel().toFloatVector()).containsExactly(big.ravel().toFloatVector());
    INDArray f = Nd4j.rand(DataType.DOUBLE, 7, 3).dup('f');
    INDArray fBack = roundTrip(kryo, f);
    assertThat(fBack).isEqualTo(f);
    assertThat(fBack.ordering()).isEqualTo('f'); // as ND4J's own format kept it
    INDArray ints = Nd4j.createFromArray(new int[] {3, -1, 7});
    INDArray i = roundTrip(kryo, ints);
    assertThat(i.dataType()).isEqualTo(DataType.INT);
    assertThat(i.toIntVector()).containsExactly(3, -1, 7);
    INDArray scalar = Nd4j.scalar(2.5f);
    assertThat(roundTrip(kryo, scalar).getFloat(0)).isEqualTo(2.5f);
    // a float array is values in bulk: about 4 bytes a value, not ND4J's per-value framing
    assertThat(kryo.serialize(big, ClassTag$.MODULE$.AnyRef()).remaining())
        .isBetween(301 * 1_001 * 4, 301 * 1_001 * 4 + 64);
  }

  @Test
  void sessionsUseSparktrainsRegistratorAlsoWhereAConfigNamesNd4jsOwn() {
    assertThat(SparkSessions.applyDl4jDefaults(new SparkConf()).get("spark.kryo.registrator"))
        .isEqualTo(Nd4jKryoRegistrator.class.getName());
    // ND4J's registrator ships with DL4J's Spark module (Scala 2.12 only): a spark-defaults.conf
    // written for it still works on the Spark 4 build
    SparkConf old =
        new SparkConf().set("spark.kryo.registrator", Nd4jKryoRegistrator.ND4J_REGISTRATOR);
    assertThat(SparkSessions.applyDl4jDefaults(old).get("spark.kryo.registrator"))
        .isEqualTo(Nd4jKryoRegistrator.class.getName());
    INDArray a = Nd4j.rand(DataType.FLOAT, 2, 2);
    assertThat(roundTrip(kryo(old), a)).isEqualTo(a);
    // a registrator of the user's own is kept
    SparkConf mine = new SparkConf().set("spark.kryo.registrator", "com.example.Mine");
    assertThat(SparkSessions.applyDl4jDefaults(mine).get("spark.kryo.registrator"))
        .isEqualTo("com.example.Mine");
  }
}
