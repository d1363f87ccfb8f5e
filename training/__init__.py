"""Training recipes: how every shipped artefact in ``models/`` is rebuilt from data.

Not part of the runtime wheel (``pip install factcheck`` ships ``factcheck`` and the artefacts in
``models/`` only); run from a source checkout with ``pip install -e '.[train]'``:

* ``datasets/`` and ``metrics``: the one set of readers for the labelled data under
  ``../shared/data`` and the one set of metrics (F1, thresholds, Spearman, MAP@k);
* ``splits``: the one deterministic split scheme (held-out / calibration / fit by group);
* ``calibrate`` (with ``embeddings``, ``retrieval``, ``stories``): ``models/calibration.json``
  (``python -m training.calibrate``);
* ``train_relation`` (with ``relation_data``, ``relation_net``, ``relation_onnx``,
  ``relation_eval``, ``relation_features``): the claim-relation cross-encoder
  (``models/relation/``);
* ``fit_conflict``: the conflict stack over it (``models/relation/conflict_stack.json``);
* ``export_embedder``: the int8 ONNX embedder (``models/embedder/``).

``models/MANIFEST.md`` lists the exact command behind each artefact.
"""
