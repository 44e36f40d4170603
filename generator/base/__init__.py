"""What every layer uses and that knows nothing of agreements: located problems, Danish typography, text scanning, the HTML allow-list, the second process. Imports nothing from the project."""
