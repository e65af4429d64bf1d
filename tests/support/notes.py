"""Markdown documents for the Markdown scanner and `docs check|fix` tests: every image-link form, images in code.

It is written here for the tests (none of it is the source document's text).
"""

from __future__ import annotations

from pathlib import Path

# Every link form, CRLF line endings, trailing spaces and non-ASCII text; three broken links map to views.
NOTES = (
    "# 笔记 · Notes  \r\n"
    "\r\n"
    '行内图片，带标题：![](old/pics/container_evolution.svg "eras")\r\n'
    "尖括号里的路径：![img](<../Image Folder\\k\\1618472-20190329134603647-370306872.png>)\r\n"
    "引用式：![][arch2]，简写：![present]\r\n"
    'HTML 标签：<img src="C:\\wfbook\\container_evolution.svg" alt="img" width="600">\r\n'
    "URL 编码且存在：![ok](pics/a%20b.png)\r\n"
    "远程图片：![logo](https://example.org/logo.png)\r\n"
    "内嵌数据：![dot](data:image/png;base64,iVBORw0KGgo=)\r\n"
    "没有对应视图的坏链接：![lost](gone/nowhere.png)\r\n"
    "代码不是链接：`![x](code/inline.png)`\r\n"
    "\r\n"
    "```markdown\r\n"
    "![y](code/fenced.png)\r\n"
    "```\r\n"
    "\r\n"
    "[arch2]: D:\\wfbook\\Image\\k\\1618472-20190329135045351-342284420.png\r\n"
    "[present]: pics/a%20b.png\r\n"
    "最后一行没有换行符，尾行。"
)

#: The structure of the virtualization notes' broken pictures (issue 11), in words of its own: an image at column
#: 0; an indented image right under a bold line (a lazy continuation line: shown as an image); and an indented
#: image after a blank line (an indented code block, shown as code, that also holds the indented paragraph of
#: prose after it). The shipped mapping draws all three. The prose indented under each picture is shown as code
#: too, as in the source document; docs leaves it alone (it is no image).
BROKEN_IMAGES_ZH = Path(__file__).parent.parent / "data" / "broken-images-zh.md"

# Images in code that is meant as code (lines 6, 15 and 22 are left alone and not reported: a closed fence and
# an inline code span) and in code that hides them by mistake (reported; fix leaves them and says why): line 12,
# an indented code sample of two lines; line 19, Markdown inside an HTML block; line 25, a fence never closed.
CODE_SAMPLES = (
    "# Code samples\n"
    "\n"
    "A fenced example:\n"
    "\n"
    "```markdown\n"
    "![img](D:\\wfbook\\container_evolution.svg)\n"
    "```\n"
    "\n"
    "An indented sample, two lines of code:\n"
    "\n"
    "    $ ls Image\n"
    "    ![img](D:\\wfbook\\container_evolution.svg)\n"
    "\n"
    "~~~~\n"
    "![img](old/container_evolution.svg)\n"
    "~~~~\n"
    "\n"
    '<div align="center">\n'
    "![img](old/container_evolution.svg)\n"
    "</div>\n"
    "\n"
    "In text: `![img](old/container_evolution.svg)`.\n"
    "\n"
    "```\n"
    "![img](old/container_evolution.svg)\n"
)
