<!DOCTYPE html>
<html  lang="fr">
<head><meta charset="utf-8"><title>Forum Conso High-Tech</title><meta name="copyright" content="phpBB Limited"></head>
<body id="phpbb" class="section-index">
<ul class="topiclist forums"><li class="row"><dl><dt><a href="/forum/viewforum.php?f=1" class="forumtitle">High-tech et électroménager</a></dt></dl></li></ul>
</body></html>
