"""A Markdown document with every image-link form, for the Markdown scanner and `docs check|fix` tests.

It is written here for the tests (none of it is the source document's text).
"""

from __future__ import annotations

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
