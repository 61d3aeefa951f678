NC.data("search/terms/73-69",{"sides":[156,273],"signed":[34,80,273,274],"significant":[142,149,237,274,276],"since":[31,37,176,272]});
