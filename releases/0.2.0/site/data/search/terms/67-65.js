NC.data("search/terms/67-65",{"general":[44,272],"george":[7,37,122,175,226,272,273]});
