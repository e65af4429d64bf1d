"""Browser checks: headless Chromium shows the rendered diagrams and documents as readers see them."""
