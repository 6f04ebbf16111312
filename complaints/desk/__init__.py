"""The handling desk (投诉受理) in the Wagtail admin."""
