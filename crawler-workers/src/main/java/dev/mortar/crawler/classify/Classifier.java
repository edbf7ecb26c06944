package dev.mortar.crawler.classify;

import java.io.IOException;
import java.util.Optional;

/** Recognises one file format from a file's content; empty when the file is not of this format. */
public interface Classifier {
    Optional<Classification> classify(SampledFile file) throws IOException;
}
