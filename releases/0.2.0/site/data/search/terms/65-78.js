NC.data("search/terms/65-78",{"expected":[30,272],"explained":[61,275],"expressed":[156,273]});
