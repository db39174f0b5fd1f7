package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * That the test-asan run (java/pom.xml) is what it claims: this JVM has the ASan runtime mapped,
 * and the libgentcp it loaded is libgentcp-asan.so, not the jar's or the kqueue-emulated one.
 * Without these, a run that silently fell back to the plain library would pass while checking
 * nothing. The property gentcp.test.asan is set by that run only; elsewhere this is skipped.
 */
class AsanLoadedTest
{
    @Test
    void theLibraryUnderTestIsTheSanitizedOneWithTheAsanRuntimeMapped() throws IOException
    {
        Assumptions.assumeTrue(Boolean.getBoolean("gentcp.test.asan"),
            "runs only in the test-asan execution, whose JVM preloads libasan and loads libgentcp-asan.so");
        assertTrue(Inet.isNativeAvailable(), () -> "libgentcp did not load: " + Inet.nativeUnavailabilityCause());
        final List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .map(line -> line.split("\\s+", 6))
            .filter(fields -> fields.length == 6)
            .map(fields -> fields[5].trim())
            .distinct()
            .collect(Collectors.toList());
        assertTrue(mapped.stream().anyMatch(file -> file.matches(".*/libasan\\.so(\\.[0-9]+)*")),
            () -> "no libasan mapped in this JVM: " + mapped);
        final List<String> gentcp = mapped.stream()
            .filter(file -> Path.of(file).getFileName().toString().startsWith("libgentcp"))
            .collect(Collectors.toList());
        assertEquals(List.of(Path.of(System.getProperty("gentcp.library.path")).toRealPath().toString()), gentcp,
            "the one libgentcp mapped is the ASan build named by gentcp.library.path");
        assertTrue(gentcp.get(0).endsWith("/libgentcp-asan.so"), gentcp::toString);
    }
}
