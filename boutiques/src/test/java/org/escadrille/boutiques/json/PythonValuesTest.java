package org.escadrille.boutiques.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonValuesTest {

    @Test
    void floatsReadAsPythonReprWritesThem() {
        assertThat(PythonValues.floatRepr(0.991)).isEqualTo("0.991");
        assertThat(PythonValues.floatRepr(-0.195)).isEqualTo("-0.195");
        assertThat(PythonValues.floatRepr(100.0)).isEqualTo("100.0");
        assertThat(PythonValues.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PythonValues.floatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(PythonValues.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PythonValues.floatRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PythonValues.floatRepr(1.2345678901234568e17)).isEqualTo("1.2345678901234568e+17");
        assertThat(PythonValues.floatRepr(-0.0)).isEqualTo("-0.0");
        assertThat(PythonValues.floatRepr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    }

    @Test
    void jsonValuesReadAsPythonStrWritesThem() {
        assertThat(PythonValues.str(JsonDocuments.parse("[1, \"a\", true, null, 2.50]"))).isEqualTo("[1, 'a', True, None, 2.5]");
        assertThat(PythonValues.str(JsonDocuments.parse("\"it's\""))).isEqualTo("it's");
        assertThat(PythonValues.repr(JsonDocuments.parse("\"it's\""))).isEqualTo("\"it's\"");
        assertThat(PythonValues.str(JsonDocuments.parse("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void pythonEqualityTreatsTrueAsOne() {
        assertThat(PythonValues.pyEquals(JsonDocuments.parse("true"), JsonDocuments.parse("1.0"))).isTrue();
        assertThat(JsonValues.schemaEquals(JsonDocuments.parse("true"), JsonDocuments.parse("1"))).isFalse();
        assertThat(JsonValues.schemaEquals(JsonDocuments.parse("4"), JsonDocuments.parse("4.0"))).isTrue();
    }
}
