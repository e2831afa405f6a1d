package sparktrain.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ExampleTest {

  @Test
  void equalsAndHashCodeCompareFeatureValuesAndLabel() {
    Example a = new Example(new float[] {1f, 2f, 255f}, 7);
    Example same = new Example(new float[] {1f, 2f, 255f}, 7.0);

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isNotEqualTo(new Example(new float[] {1f, 2f, 254f}, 7));
    assertThat(a).isNotEqualTo(new Example(new float[] {1f, 2f, 255f}, 8));
    assertThat(a).isNotEqualTo(new Example(new float[] {1f, 2f}, 7));
  }

  @Test
  void accessorsReturnWhatWasGiven() {
    float[] features = {0f, 0.5f};
    Example e = new Example(features, 3.25);

    assertThat(e.features()).containsExactly(0f, 0.5f);
    assertThat(e.numFeatures()).isEqualTo(2);
    assertThat(e.label()).isEqualTo(3.25);
    assertThat(e.toString()).contains("3.25").contains("2 values");
  }

  @Test
  void rejectsNullFeatures() {
    assertThatNullPointerException().isThrownBy(() -> new Example(null, 1)).withMessage("features");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    Example e = new Example(new float[] {9f, 8f, 7f}, 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(e);
    }
  }
}
