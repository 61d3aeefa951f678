NC.data("search/terms/6d-65",{"medium":[276],"meeting":[47,61,64,84,126,227,245,272,273,274,276],"men":[55,120],"message":[166],"met":[47,273]});
