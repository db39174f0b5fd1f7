package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The JSON writer behind --json, and the strict reader the tests check it with. */
class JsonTest
{
    @Test
    void stringsAreEscapedAsRfc8259Requires()
    {
        final String nasty = "a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj/k\u00e9\u2028l";
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj/k\u00e9\u2028l\"", Json.quote(nasty));
        final Map<String, Object> back = JsonCheck.parse(Json.object().put("k\"ey", nasty).toString());
        assertEquals(Map.of("k\"ey", nasty), back);
    }

    @Test
    void valuesKeepTheirTypesAndOrder()
    {
        final String text = Json.object().put("s", "x").put("n", 42L).put("b", true).number("f", "12.3")
            .put("d", 0.5).put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY).putNull("z")
            .number("none", null).put("nostring", (String)null).toString();
        assertEquals("{\"s\":\"x\",\"n\":42,\"b\":true,\"f\":12.3,\"d\":0.5,\"nan\":null,\"inf\":null,\"z\":null," +
            "\"none\":null,\"nostring\":null}", text);
        final Map<String, Object> o = JsonCheck.parse(text);
        assertEquals(new BigDecimal("12.3"), o.get("f"));
        assertEquals(Boolean.TRUE, o.get("b"));
        assertNull(o.get("nan"));
        assertEquals("{}", Json.object().toString());
    }

    @Test
    void onlyJsonNumbersAreWrittenAsNumbers()
    {
        for (final String bad : new String[] {"n/a", "NaN", "Infinity", "1.", ".5", "01", "-", "1e", "1,5", ""})
        {
            assertThrows(IllegalArgumentException.class, () -> Json.object().number("k", bad), bad);
        }
        for (final String good : new String[] {"0", "-0", "12.3", "1e9", "-1.5E-3", "100"})
        {
            assertEquals(new BigDecimal(good), JsonCheck.parse(Json.object().number("k", good).toString()).get("k"));
        }
    }

    @Test
    void aKeyPutTwiceIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Json.object().put("k", 1L).put("k", "again"));
    }

    @Test
    void theReaderIsStrict()
    {
        for (final String bad : new String[] {"{", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":1}x",
            "{\"a\":\"\n\"}", "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":\"\\x\"}", "{\"a\" 1}", "[1]"})
        {
            assertThrows(IllegalArgumentException.class, () -> JsonCheck.parse(bad), bad);
        }
    }
}
