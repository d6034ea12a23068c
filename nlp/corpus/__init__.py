"""The labelled corpus of real mentions: sources, sample, annotation batches, agreement, split."""
