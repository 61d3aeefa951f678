NC.data("search/terms/67-65",{"general":[207,276],"george":[7,39,122,180,231,276,277]});
