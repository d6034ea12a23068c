"""NLP: text normalisation, brand query language, labelers, author analytics."""
