NC.data("search/terms/70-68",{"phase":[48,65,276,279,280]});
