/* Placeholder so that a stage with no sources yet still forms a library. */
typedef int assure_empty_unit;
