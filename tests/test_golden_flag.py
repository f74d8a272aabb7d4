import os


def test_golden_files_are_never_regenerated_in_ci():
    # Regenerating golden files in CI would make every golden test pass by definition.
    if os.environ.get("CI"):
        assert os.environ.get("CONVERT_REGENERATE_GOLDEN") != "1"
